import { ConfigurationError } from '../errors.js';
import type { JsonValue } from '../model/to-json-value.js';
import { parsePythonLiteral } from './python-literal.js';
import type { ResourceField } from './resource.js';
import { timelineLogFields } from './timeline-log-fields.js';
import { TimelineLogResource, type TimelineLogResourceOptions } from './timeline-log-resource.js';
import { FieldValueError, jsonWidget, type Widget } from './widgets.js';

/** Options of {@link DjangoTimelineLogResource}. */
export interface DjangoTimelineLogResourceOptions extends TimelineLogResourceOptions {
  /**
   * Django content type id → model name, e.g. `{ 3: 'Group', 4: 'User' }` (from
   * `django_content_type`). Rows with a content type missing from the map are invalid.
   */
  readonly contentTypeMap: Readonly<Record<string, string>>;
}

/**
 * Imports the files django-timeline-logger's own `TimelineLogResource` exports (JSON, YAML,
 * CSV), so a team can move its history over:
 * - `content_type` is Django's numeric content type id, mapped to a model name by `contentTypeMap`;
 * - `user` keeps its id (users are expected to have been migrated with their ids);
 * - templates `timeline_logger/<name>.txt` become `timeline_logger/<name>.ejs` (any `.txt` → `.ejs`);
 * - timestamps without a zone are UTC; empty cells are null;
 * - `extra_data` text is a Python literal (`{'a': True, 'n': None}`), parsed exactly, or JSON;
 *   anything else makes the row invalid (quotes are never swapped to guess).
 *
 * @example
 * ```ts
 * const resource = new DjangoTimelineLogResource({ contentTypeMap: { 3: 'Group', 4: 'User' } });
 * const result = await resource.import('timeline-export.csv', { dryRun: true });
 * ```
 */
export class DjangoTimelineLogResource extends TimelineLogResource {
  constructor(options: DjangoTimelineLogResourceOptions) {
    super(options, djangoTimelineLogFields(options.contentTypeMap));
  }

  /** Django writes empty cells for None: every empty cell is null. */
  override beforeImportRow(record: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(record)) result[column] = value === '' ? null : value;
    return result;
  }
}

/**
 * The fields of {@link DjangoTimelineLogResource}: the timeline columns with Django's
 * content type ids, `.txt` templates and Python-literal `extra_data`.
 *
 * @example
 * ```ts
 * djangoTimelineLogFields({ 3: 'Post' }).find((field) => field.column === 'content_type');
 * ```
 */
export function djangoTimelineLogFields(contentTypeMap: Readonly<Record<string, string>>): ResourceField[] {
  const map = validatedMap(contentTypeMap);
  const replaced: Record<string, (widget: Widget<unknown>) => Widget<unknown>> = {
    content_type: () => contentTypeWidget(map),
    template: djangoTemplateWidget,
    extra_data: () => jsonWidget({ parseText: parseDjangoExtraData }),
  };
  return timelineLogFields().map((field) => ({ column: field.column, widget: replaced[field.column]?.(field.widget) ?? field.widget }));
}

/**
 * Parses `--content-type-map 3=Group,4=User` into `{ 3: 'Group', 4: 'User' }`.
 *
 * @throws ConfigurationError when an entry is not `<id>=<Model>`.
 * @example
 * ```ts
 * parseContentTypeMap('3=Group, 4=User'); // { '3': 'Group', '4': 'User' }
 * ```
 */
export function parseContentTypeMap(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(\d+)\s*=\s*(\S+)$/.exec(entry);
    if (!match) throw ConfigurationError.invalidOption('content type map entry', '<content type id>=<Model name>, e.g. 3=Group', entry);
    result[match[1] as string] = match[2] as string;
  }
  return result;
}

function validatedMap(map: Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  if (map === null || typeof map !== 'object')
    throw ConfigurationError.invalidOption('contentTypeMap', 'an object of content type id → model name', map);
  const entries = Object.entries(map);
  for (const [id, name] of entries) {
    if (!/^\d+$/.test(id) || typeof name !== 'string' || name === '') {
      throw ConfigurationError.invalidOption('contentTypeMap', 'numeric content type ids mapped to model names', `${id}=${String(name)}`);
    }
  }
  return new Map(entries);
}

function contentTypeWidget(map: ReadonlyMap<string, string>): Widget<string | null> {
  return {
    kind: 'text',
    clean(cell) {
      if (cell === null || cell === undefined || cell === '') return null;
      const id = String(cell).trim();
      const name = map.get(id);
      if (name === undefined) {
        throw new FieldValueError(
          `Django content type ${JSON.stringify(id)} is not in the content type map: add ${id}=<Model> to --content-type-map`,
        );
      }
      return name;
    },
    render: (value) => value,
  };
}

/** The timeline's template widget (its length limit and required check), with `.txt` names made `.ejs`. */
function djangoTemplateWidget(template: Widget<unknown>): Widget<unknown> {
  return {
    kind: 'text',
    clean: (cell) => {
      const name = template.clean(cell);
      return typeof name === 'string' && name.endsWith('.txt') ? `${name.slice(0, -4)}.ejs` : name;
    },
    render: (value) => value,
  };
}

/** Python literal first (what Django's CSV export writes), then JSON (what newer exporters write). */
function parseDjangoExtraData(text: string): JsonValue {
  const python = parsePythonLiteral(text);
  if (python.ok) return python.value;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new FieldValueError(`is neither a Python literal nor JSON: ${python.reason}`);
  }
}
