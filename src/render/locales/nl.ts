/**
 * Dutch. Calendar words and formats follow Django's `nl` locale (`conf/locale/nl/`).
 *
 * To translate a new string, add its English text as the key and the Dutch as the value,
 * keeping every `{placeholder}`. Prefer whole sentences with placeholders over fragments so
 * the Dutch word order can differ ("heeft {object} aangemaakt").
 *
 * @module
 */
import type { Catalog, LocaleData } from '../locale-data.js';

const messages: Catalog = {
  // Labels
  'Anonymous user': 'Anonieme gebruiker',
  None: 'Geen',

  // Messages (views/timeline_logger/*.ejs)
  '{timestamp} - {user} event on {object}': '{timestamp} - {user} gebeurtenis op {object}',
  '{timestamp} - {user} created {object}': '{timestamp} - {user} heeft {object} aangemaakt',
  '{timestamp} - {user} updated {object}': '{timestamp} - {user} heeft {object} gewijzigd',
  '{timestamp} - {user} updated {object} ({changes})': '{timestamp} - {user} heeft {object} gewijzigd ({changes})',
  '{timestamp} - {user} deleted {object}': '{timestamp} - {user} heeft {object} verwijderd',
  '{timestamp} - {user} restored {object}': '{timestamp} - {user} heeft {object} hersteld',

  // Timeline page
  Timeline: 'Tijdlijn',
  'No events yet.': 'Nog geen gebeurtenissen.',
  Pagination: 'Paginering',
  'Page {page} of {pages}': 'Pagina {page} van {pages}',
  First: 'Eerste',
  Previous: 'Vorige',
  Next: 'Volgende',
  Last: 'Laatste',
  Newer: 'Nieuwer',
  Older: 'Ouder',
  'You are not allowed to see this timeline.': 'Je hebt geen toegang tot deze tijdlijn.',
  'Invalid page: that page contains no results.': 'Ongeldige pagina: die pagina bevat geen resultaten.',

  // Timeline page: filters, per-object heading, pager (src/http/timeline-view.ts, views/timeline_logger/*.ejs)
  'Timeline of {object}': 'Tijdlijn van {object}',
  'No events match these filters.': 'Geen gebeurtenissen voldoen aan deze filters.',
  Newest: 'Nieuwste',
  Oldest: 'Oudste',
  'Page {page}': 'Pagina {page}',
  'Skip to the entries': 'Naar de gebeurtenissen',
  'All entries': 'Alle gebeurtenissen',
  Entries: 'Gebeurtenissen',
  created: 'aangemaakt',
  updated: 'gewijzigd',
  deleted: 'verwijderd',
  restored: 'hersteld',
  'Filter the timeline': 'De tijdlijn filteren',
  'Apply filters': 'Filters toepassen',
  'Clear filters': 'Filters wissen',
  'User id': 'Gebruikers-ID',
  Event: 'Gebeurtenis',
  'Content type': 'Inhoudstype',
  'Object id': 'Object-ID',
  Since: 'Vanaf',
  Until: 'Tot en met',
  'e.g. 3': 'bijv. 3',
  'e.g. created': 'bijv. created',
  'e.g. Post': 'bijv. Post',
  'e.g. 12': 'bijv. 12',
  'YYYY-MM-DD': 'JJJJ-MM-DD',

  // Timeline page and digest: an entry's changes (views/timeline_logger/_changes.ejs, email/*.ejs, src/render/change-set-view.ts)
  '{count} change': '{count} wijziging',
  '{count} changes': '{count} wijzigingen',
  '{count} initial value': '{count} beginwaarde',
  '{count} initial values': '{count} beginwaarden',
  'old value:': 'oude waarde:',
  'new value:': 'nieuwe waarde:',
  empty: 'leeg',
  'hidden value': 'verborgen waarde',
  'Show all': 'Alles tonen',
  'Show less': 'Minder tonen',

  // Timeline page: 400 answers (src/http/timeline-request-error.ts, filters.ts, timeline-router.ts)
  'The {parameter} parameter must be {expected} (got "{value}").': 'De parameter {parameter} moet {expected} zijn (gekregen: "{value}").',
  'The {parameter} parameter may be given only once.': 'De parameter {parameter} mag maar één keer voorkomen.',
  'The {parameter} parameter cannot be combined with {other}.': 'De parameter {parameter} kan niet samen met {other} gebruikt worden.',
  'The {parameter} cursor is not valid: it was changed or cut short. Follow the Newer and Older links as they are, or start again from the newest entries.':
    'De cursor {parameter} is ongeldig: hij is gewijzigd of afgekapt. Volg de links Nieuwer en Ouder zoals ze zijn, of begin opnieuw bij de nieuwste gebeurtenissen.',
  'an ISO date (2024-01-31) or date-time (2024-01-31T09:30, 2024-01-31T09:30:00Z)':
    'een ISO-datum (2024-01-31) of datum en tijd (2024-01-31T09:30, 2024-01-31T09:30:00Z)',
  'a model name such as Post': 'een modelnaam zoals Post',
  'an object id of at most 1000 characters without control characters': 'een object-ID van hoogstens 1000 tekens zonder stuurtekens',
  'an event name of at most 64 characters without control characters': 'een gebeurtenisnaam van hoogstens 64 tekens zonder stuurtekens',
  'a user id of at most 255 characters without control characters': 'een gebruikers-ID van hoogstens 255 tekens zonder stuurtekens',
  'a user id (a whole number)': 'een gebruikers-ID (een geheel getal)',
  'a user id (a UUID)': 'een gebruikers-ID (een UUID)',
  'on or after since': 'gelijk aan of later dan since',
  'a single text value': 'één tekstwaarde',

  // Correlation ids (src/model/correlation-id.ts, src/http/entry-view.ts, filter-form-view.ts)
  '1 to 64 letters, digits, dots, underscores, colons or hyphens':
    '1 tot 64 letters, cijfers, punten, underscores, dubbele punten of koppeltekens',
  'Everything in this request': 'Alles uit dit verzoek',
  'Request id': 'Verzoek-ID',
  'json or html': 'json of html',

  // timeline-logger migrate and seed (src/cli/commands/)
  'Nothing to migrate: the timeline table is up to date.': 'Niets te migreren: de tijdlijntabel is al bijgewerkt.',
  'Applied {count} migration(s): {names}': '{count} migratie(s) uitgevoerd: {names}',
  'Nothing to seed: the demo data is already loaded.': 'Niets te laden: de demogegevens zijn al geladen.',
  'Loaded the demo data ({names}).': 'De demogegevens zijn geladen ({names}).',

  // Digest e-mail (src/mail, views/timeline_logger/email/*.ejs)
  'Events timeline': 'Tijdlijn van gebeurtenissen',
  'Events since {start}': 'Gebeurtenissen sinds {start}',
  'Showing the latest {shown} of {total} events.': 'De laatste {shown} van {total} gebeurtenissen worden getoond.',

  // timeline-logger prune (src/cli/commands/prune.ts). The confirmation word stays 'yes'.
  'Successfully deleted {count} timeline logs.': '{count} tijdlijnlogs succesvol verwijderd.',
  'Successfully deleted {count} timeline log.': '{count} tijdlijnlog succesvol verwijderd.',
  '{count} timeline log would be deleted (dry run: nothing was deleted).':
    '{count} tijdlijnlog zou worden verwijderd (proefrun: er is niets verwijderd).',
  Deleting: 'Verwijderen',
  '{count} timeline logs would be deleted (dry run: nothing was deleted).':
    '{count} tijdlijnlogs zouden worden verwijderd (proefrun: er is niets verwijderd).',
  'Prune cancelled: nothing was deleted.': 'Opschonen geannuleerd: er is niets verwijderd.',
  'Archived {count} timeline log to {file}': '{count} tijdlijnlog gearchiveerd in {file}',
  'Archived {count} timeline logs to {file}': '{count} tijdlijnlogs gearchiveerd in {file}',
  '--archive-dir needs a folder.': '--archive-dir heeft een map nodig.',
  'Give exactly one of --keep-days N and --all.': 'Geef precies één van --keep-days N en --all op.',
  '--keep-days must be a whole number of days, 0 or more (got "{value}").':
    '--keep-days moet een geheel aantal dagen zijn, 0 of meer (gekregen: "{value}").',
  'You have specified "--all", meaning all timeline logs will be deleted.':
    'Je hebt "--all" opgegeven: alle tijdlijnlogs worden verwijderd.',
  'You have specified "--keep-days 0", meaning all timeline logs until now will be deleted.':
    'Je hebt "--keep-days 0" opgegeven: alle tijdlijnlogs tot nu worden verwijderd.',
  'There is no terminal to confirm on: pass --no-input to prune without asking.':
    'Er is geen terminal om te bevestigen: geef --no-input op om zonder vragen op te schonen.',
  'Are you sure you want to do this?': 'Weet je zeker dat je dit wilt doen?',
  "Type 'yes' to continue, or 'no' to cancel:": "Typ 'yes' om door te gaan, of 'no' om te annuleren:",

  // timeline-logger partition (src/cli/commands/partition.ts, src/cli/conversion-report.ts)
  month: 'maand',
  week: 'week',
  day: 'dag',
  'The table {table} is not partitioned. It holds no logs.': 'De tabel {table} is niet gepartitioneerd. Er staan geen logs in.',
  'The table {table} is not partitioned. It holds {count} log, at {from}.':
    'De tabel {table} is niet gepartitioneerd. Er staat {count} log in, van {from}.',
  'The table {table} is not partitioned. It holds {count} logs, from {from} to {to}.':
    'De tabel {table} is niet gepartitioneerd. Er staan {count} logs in, van {from} tot {to}.',
  'It will be converted to a table partitioned by {interval}, with these {count} partitions:':
    'Ze wordt omgezet in een tabel die per {interval} is gepartitioneerd, met deze {count} partities:',
  'every other timestamp': 'elk ander tijdstip',
  '{from} to {to}': '{from} tot {to}',
  '{count} log is dated before year 1 or after year 9999: it goes to the DEFAULT partition.':
    '{count} log is gedateerd vóór jaar 1 of na jaar 9999: die gaat naar de DEFAULT-partitie.',
  '{count} logs are dated before year 1 or after year 9999: they go to the DEFAULT partition.':
    '{count} logs zijn gedateerd vóór jaar 1 of na jaar 9999: die gaan naar de DEFAULT-partitie.',
  'Locks, in order:': 'Vergrendelingen, op volgorde:',
  '{table}: EXCLUSIVE, from the start to the end (reads go on, writes wait)':
    '{table}: EXCLUSIVE, van begin tot eind (lezen gaat door, schrijven wacht)',
  '{table}: SHARE ROW EXCLUSIVE, while the foreign key to it is checked (writes to it wait)':
    '{table}: SHARE ROW EXCLUSIVE, terwijl de verwijzende sleutel wordt gecontroleerd (schrijven erin wacht)',
  '{table}: ACCESS EXCLUSIVE, for the swap at the end (reads wait too, briefly)':
    '{table}: ACCESS EXCLUSIVE, voor de wissel aan het eind (ook lezen wacht, kort)',
  'Writes to {table} wait until the conversion is done; reads go on. Every log and id is kept.':
    'Schrijven in {table} wacht tot de omzetting klaar is; lezen gaat door. Elke log en elke id blijft behouden.',
  'Dry run: nothing was changed.': 'Proefrun: er is niets veranderd.',
  'The table {table} will be converted as planned above.': 'De tabel {table} wordt omgezet zoals hierboven gepland.',
  'There is no terminal to confirm on: pass --no-input to convert without asking.':
    'Er is geen terminal om te bevestigen: geef --no-input op om zonder vragen om te zetten.',
  'Conversion cancelled: nothing was changed.': 'Omzetting geannuleerd: er is niets veranderd.',
  'Making the partitions and copying the logs...': 'De partities maken en de logs kopiëren...',
  'Building the keys and indexes...': 'De sleutels en indexen opbouwen...',
  'Swapping the tables...': 'De tabellen wisselen...',
  'Gathering statistics for the query planner (ANALYZE)...': 'Statistieken voor de queryplanner verzamelen (ANALYZE)...',
  'Converted {table}: {count} log in {partitions} partitions, in {seconds} s. Writes waited for the lock for at most {lock} s.':
    '{table} omgezet: {count} log in {partitions} partities, in {seconds} s. Schrijven wachtte hoogstens {lock} s op de vergrendeling.',
  'Converted {table}: {count} logs in {partitions} partitions, in {seconds} s. Writes waited for the lock for at most {lock} s.':
    '{table} omgezet: {count} logs in {partitions} partities, in {seconds} s. Schrijven wachtte hoogstens {lock} s op de vergrendeling.',
  'The table {table} is already partitioned; its partitions are up to date.':
    'De tabel {table} is al gepartitioneerd; de partities zijn bijgewerkt.',
  'The table {table} is already partitioned. Made partitions: {names}.':
    'De tabel {table} is al gepartitioneerd. Gemaakte partities: {names}.',
  'Moved {count} log out of the DEFAULT partition.': '{count} log uit de DEFAULT-partitie verplaatst.',
  'Moved {count} logs out of the DEFAULT partition.': '{count} logs uit de DEFAULT-partitie verplaatst.',
  'The table {table} is already partitioned: without --dry-run, partition makes its partitions ahead (dry run: nothing was changed).':
    'De tabel {table} is al gepartitioneerd: zonder --dry-run maakt partition de partities vooruit (proefrun: er is niets veranderd).',
  "The configuration sets no partitioning option: add partitioning: { interval: 'month' } to the options of the --config file, then run partition again.":
    "De configuratie zet geen optie partitioning: voeg partitioning: { interval: 'month' } toe aan de opties van het --config-bestand en voer partition opnieuw uit.",

  // timeline-logger seal and verify (src/cli/commands/seal.ts, verify.ts, src/cli/verify-report.ts)
  Sealing: 'Verzegelen',
  'Sealed {count} timeline log through id {id}.': '{count} tijdlijnlog verzegeld, tot en met id {id}.',
  'Sealed {count} timeline logs through id {id}.': '{count} tijdlijnlogs verzegeld, tot en met id {id}.',
  'Nothing new to seal; sealed through id {id}.': 'Niets nieuws te verzegelen; verzegeld tot en met id {id}.',
  'Nothing is sealed yet.': 'Er is nog niets verzegeld.',
  'Nothing to seal: the timeline has no logs yet.': 'Niets te verzegelen: de tijdlijn heeft nog geen logs.',
  'Anchor: {anchor}': 'Anker: {anchor}',
  'Nothing new was sealed: {count} transaction open when sealing began was still open after {seconds} s. Its logs and the ones after them will be sealed by a later run once it ends:':
    'Er is niets nieuws verzegeld: {count} transactie die openstond toen het verzegelen begon, stond na {seconds} s nog open. Haar logs en de logs erna worden verzegeld door een latere run, zodra ze afloopt:',
  'Nothing new was sealed: {count} transactions open when sealing began were still open after {seconds} s. Their logs and the ones after them will be sealed by a later run once they end:':
    'Er is niets nieuws verzegeld: {count} transacties die openstonden toen het verzegelen begon, stonden na {seconds} s nog open. Hun logs en de logs erna worden verzegeld door een latere run, zodra ze aflopen:',
  '  pid {pid}, open since {since}, {state}': '  pid {pid}, open sinds {since}, {state}',
  '  a prepared transaction, since {since}': '  een voorbereide transactie, sinds {since}',
  unknown: 'onbekend',
  '--wait must be a number of seconds, 0 or more (got "{value}").':
    '--wait moet een aantal seconden zijn, 0 of meer (gekregen: "{value}").',
  '--anchor-file needs a file.': '--anchor-file heeft een bestand nodig.',
  'Cannot write the anchor file {file}: {reason}. Nothing was sealed.':
    'Kan het ankerbestand {file} niet schrijven: {reason}. Er is niets verzegeld.',
  'The logs are sealed, but the anchor could not be appended to {file}: {reason}. Keep the anchor printed above.':
    'De logs zijn verzegeld, maar het anker kon niet aan {file} worden toegevoegd: {reason}. Bewaar het anker dat hierboven staat.',
  'it is a folder': 'het is een map',
  'no such file or folder': 'bestand of map bestaat niet',
  'permission denied': 'geen toestemming',
  'the file system is read-only': 'het bestandssysteem is alleen-lezen',
  'Give at most one of --anchor and --anchor-file.': 'Geef hoogstens één van --anchor en --anchor-file op.',
  '--max-problems must be a whole number, 0 or more (got "{value}").':
    '--max-problems moet een geheel getal zijn, 0 of meer (gekregen: "{value}").',
  'Cannot read the anchor file {file}: {reason}.': 'Kan het ankerbestand {file} niet lezen: {reason}.',
  'The anchor file {file} holds no anchor.': 'Het ankerbestand {file} bevat geen anker.',
  'the last line of {file}': 'de laatste regel van {file}',
  '{source} must be an anchor as seal prints it, <seal id>:<64 hex digits> (got "{value}").':
    '{source} moet een anker zijn zoals seal het toont, <zegel-id>:<64 hexadecimale cijfers> (gekregen: "{value}").',
  'log {id}: modified (it differs from its seal)': 'log {id}: gewijzigd (wijkt af van het zegel)',
  'log {id}: missing (sealed, then deleted other than by prune)': 'log {id}: ontbreekt (verzegeld, daarna verwijderd, niet door prune)',
  'log {id}: unexpected (in a sealed range, never sealed: forged or inserted later)':
    'log {id}: onverwacht (in een verzegeld bereik maar nooit verzegeld: vervalst of later ingevoegd)',
  'seal {seal}: modified (its content, logs or MAC do not match)': 'zegel {seal}: gewijzigd (inhoud, logs of MAC kloppen niet)',
  'seal {seal}: missing (removed from the seal chain)': 'zegel {seal}: ontbreekt (uit de zegelketen verwijderd)',
  "seal {seal}: made with another key: verify with the key the seals were made with (TIMELINE_SEAL_KEY, or sealKey in the --config file's options)":
    'zegel {seal}: gemaakt met een andere sleutel: controleer met de sleutel waarmee de zegels gemaakt zijn (TIMELINE_SEAL_KEY, of sealKey in de opties van het --config-bestand)',
  'seal {seal}: differs from the anchor (the seal chain was rewritten)':
    'zegel {seal}: wijkt af van het anker (de zegelketen is herschreven)',
  '... and {count} more problem log (not printed: --max-problems).': '... en nog {count} probleemlog (niet getoond: --max-problems).',
  '... and {count} more problem logs (not printed: --max-problems).': '... en nog {count} probleemlogs (niet getoond: --max-problems).',
  '{count} sealed log checked, {unsealed} unsealed, {removed} removed by prune.':
    '{count} verzegelde log gecontroleerd, {unsealed} onverzegeld, {removed} verwijderd door prune.',
  '{count} sealed logs checked, {unsealed} unsealed, {removed} removed by prune.':
    '{count} verzegelde logs gecontroleerd, {unsealed} onverzegeld, {removed} verwijderd door prune.',
  'Intact: {counts}': 'Intact: {counts}',
  'NOT intact: {logs}, {seals}; {counts}': 'NIET intact: {logs}, {seals}; {counts}',
  '{count} problem log': '{count} probleemlog',
  '{count} problem logs': '{count} probleemlogs',
  '{count} seal problem': '{count} zegelprobleem',
  '{count} seal problems': '{count} zegelproblemen',
  'Nothing is sealed yet: run timeline-logger seal first.': 'Er is nog niets verzegeld: voer eerst timeline-logger seal uit.',

  // timeline-logger migrate, seed, export, import (src/cli/commands/*.ts)
  'Refusing to write {format} to a terminal: use --output FILE or redirect stdout to a file.':
    'Ik schrijf geen {format} naar een terminal: gebruik --output BESTAND of stuur stdout naar een bestand.',
  Exporting: 'Exporteren',
  Importing: 'Importeren',
  'Exported {count} timeline logs ({format}).': '{count} tijdlijnlogs geëxporteerd ({format}).',
  'Exported {count} timeline log ({format}).': '{count} tijdlijnlog geëxporteerd ({format}).',
  '{new} new, {update} updated, {skip} unchanged, {invalid} invalid, {error} failed.':
    '{new} nieuw, {update} gewijzigd, {skip} ongewijzigd, {invalid} ongeldig, {error} mislukt.',
  'Row {row}: {field}: {message}': 'Rij {row}: {field}: {message}',
  '... and {count} more rows with problems (use --json-report to see all).':
    '... en nog {count} rijen met problemen (gebruik --json-report om ze allemaal te zien).',
  'Dry run: nothing was written.': 'Proefrun: er is niets geschreven.',
  'Nothing was written: fix the rows above and import again.': 'Er is niets geschreven: verbeter de rijen hierboven en importeer opnieuw.',

  // timeline-logger report-mailing (src/cli/commands/report-mailing.ts)
  'SMTP_URL is not set: set it to your mail server, e.g. SMTP_URL=smtp://user:password@mail.example.com:587':
    'SMTP_URL is niet ingesteld: stel je mailserver in, bijvoorbeeld SMTP_URL=smtp://gebruiker:wachtwoord@mail.example.com:587',
  'Give at most one of --all, --staff and --recipients-from-setting.':
    'Geef hoogstens één van --all, --staff en --recipients-from-setting op.',
  '--days must be a whole number of days, 0 or more (got "{value}").':
    '--days moet een geheel aantal dagen zijn, 0 of meer (gekregen: "{value}").',
  'No timeline logs: no e-mail sent.': 'Geen tijdlijnlogs: er is geen e-mail verstuurd.',
  'No timeline logs in the last {days} days: no e-mail sent.': 'Geen tijdlijnlogs in de laatste {days} dagen: er is geen e-mail verstuurd.',
  'Sent the digest of {count} timeline logs since {since} to {sent} of {recipients} recipients.':
    'Het overzicht van {count} tijdlijnlogs sinds {since} is verstuurd naar {sent} van {recipients} ontvangers.',
  'Sent to {address}': 'Verstuurd naar {address}',
  'Could not send to {address}: {error}': 'Versturen naar {address} mislukt: {error}',
  'No recipients: no active staff superuser has an e-mail address. Choose others with --staff, --all or --recipients-from-setting.':
    'Geen ontvangers: geen enkele actieve stafgebruiker met superuserrechten heeft een e-mailadres. Kies andere ontvangers met --staff, --all of --recipients-from-setting.',
  'No recipients: no active staff user has an e-mail address.': 'Geen ontvangers: geen enkele actieve stafgebruiker heeft een e-mailadres.',
  'No recipients: no active user has an e-mail address.': 'Geen ontvangers: geen enkele actieve gebruiker heeft een e-mailadres.',
  'No recipients: the mail.recipients option of the configuration is empty.':
    'Geen ontvangers: de optie mail.recipients in de configuratie is leeg.',

  // The digest's seal check (src/mail/digest-seal-check.ts, views/timeline_logger/email/digest.*.ejs)
  '[NOT INTACT] {subject}': '[NIET INTACT] {subject}',
  '[SEAL CHECK FAILED] {subject}': '[ZEGELCONTROLE MISLUKT] {subject}',
  'Seal check: intact ({checked} sealed logs checked, {unsealed} not sealed yet)':
    'Zegelcontrole: intact ({checked} verzegelde logs gecontroleerd, {unsealed} nog niet verzegeld)',
  'Seal check: NOT INTACT: {logs} logs and {seals} seals with problems ({checked} sealed logs checked, {unsealed} not sealed yet)':
    'Zegelcontrole: NIET INTACT: {logs} logs en {seals} zegels met problemen ({checked} verzegelde logs gecontroleerd, {unsealed} nog niet verzegeld)',
  'Seal check could not run: {error}': 'De zegelcontrole kon niet worden uitgevoerd: {error}',
  'Log {id}: {problem}': 'Log {id}: {problem}',
  'Seal {seal}: {problem}': 'Zegel {seal}: {problem}',
  '... and {count} more logs with problems': '... en nog {count} logs met problemen',
  '... and {count} more seals with problems': '... en nog {count} zegels met problemen',
  'The timeline no longer matches its seals: logs or seals were changed, removed or added outside the application, or the seal key differs. Run timeline-logger verify to list every problem.':
    'De tijdlijn klopt niet meer met zijn zegels: logs of zegels zijn buiten de applicatie gewijzigd, verwijderd of toegevoegd, of de zegelsleutel is een andere. Voer timeline-logger verify uit om alle problemen te zien.',
  'Newest seal: {anchor}': 'Nieuwste zegel: {anchor}',
  'No events in this period.': 'Geen gebeurtenissen in deze periode.',

  // Time of day (date format characters a and P)
  // Django's Dutch catalog keeps these as they are.
  'a.m.': 'a.m.',
  'p.m.': 'p.m.',
  noon: 'middag',
  midnight: 'middernacht',
};

/**
 * Dutch locale data.
 *
 * @example
 * ```ts
 * nl.messages['Anonymous user']; // 'Anonieme gebruiker'
 * nl.formats.dateTime; // 'j F Y H:i'
 * ```
 */
export const nl: LocaleData = {
  messages,
  dateNames: {
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    monthsAlt: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    monthsShort: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    monthsAp: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    weekdays: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
    weekdaysShort: ['ma', 'di', 'woe', 'don', 'vrij', 'zat', 'zon'],
  },
  formats: {
    date: 'j F Y',
    time: 'H:i',
    dateTime: 'j F Y H:i',
  },
};
