import { Op, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { fitsKey, keyKindOfAttribute } from './key-kind.js';
import { fromTable, modelColumns, selectInstances, selectsPlainly } from './plain-select.js';
import type { ResolvedTimelineOptions } from '../options.js';

/** The part of a log that points at other rows, and where the loaded rows are kept. */
export interface RelatedRowsHolder {
  readonly contentType: string | null;
  readonly objectId: string | null;
  readonly userId: string | number | null;
  contentObject?: Model | null;
  user?: Model | null;
}

/**
 * Loads the live object and user of many logs at once: one query per model type and one for
 * the users, whatever the number of logs (no N+1). Sets `contentObject` and `user` on each log
 * (null when the row is gone or its model is not registered).
 */
export async function loadRelatedRows(
  logs: readonly RelatedRowsHolder[],
  sequelize: Sequelize,
  options: ResolvedTimelineOptions,
): Promise<void> {
  const byType = groupBy(
    logs.filter((log) => log.contentType !== null && log.objectId !== null),
    (log) => log.contentType as string,
  );
  const objectLoads = [...byType].map(async ([contentType, group]) => {
    const model = sequelize.isDefined(contentType) ? sequelize.model(contentType) : null;
    const rows = model
      ? await findByKeys(
          model,
          group.map((log) => log.objectId as string),
        )
      : new Map<string, Model>();
    for (const log of group) log.contentObject = rows.get(log.objectId as string) ?? null;
  });
  const userLoad = (async () => {
    const withUser = logs.filter((log) => log.userId !== null);
    const rows =
      options.userModel && withUser.length > 0
        ? await findByKeys(
            options.userModel,
            withUser.map((log) => String(log.userId)),
          )
        : new Map<string, Model>();
    for (const log of logs) log.user = log.userId === null ? null : (rows.get(String(log.userId)) ?? null);
  })();
  await Promise.all([...objectLoads, userLoad]);
  for (const log of logs) log.contentObject ??= null;
}

/** Rows of `model` whose primary key is one of `keys`, by `String(pk)`; keys its type cannot hold are skipped. */
async function findByKeys(model: ModelStatic<Model>, keys: readonly string[]): Promise<Map<string, Model>> {
  const pk = model.primaryKeyAttribute;
  // A text key that PostgreSQL could not cast to the key's type would fail the whole batch query.
  const kind = keyKindOfAttribute(model.getAttributes()[pk]?.type);
  const valid = [...new Set(keys)].filter((key) => fitsKey(kind, key));
  if (valid.length === 0) return new Map();
  const rows = selectsPlainly(model) ? await selectByKeys(model, pk, valid) : await model.findAll({ where: { [pk]: { [Op.in]: valid } } });
  return new Map(rows.map((row) => [String(row.get(pk)), row]));
}

/** What `findAll({ where: { [pk]: { [Op.in]: keys } } })` sends and builds, without its option processing. */
async function selectByKeys(model: ModelStatic<Model>, pk: string, keys: readonly string[]): Promise<Model[]> {
  const sequelize = model.sequelize as Sequelize;
  const queryInterface = sequelize.getQueryInterface();
  const alias = queryInterface.quoteIdentifier(model.name);
  const pkColumn = queryInterface.quoteIdentifier(model.getAttributes()[pk]?.field ?? pk);
  const list = keys.map((key) => sequelize.escape(key)).join(', ');
  return selectInstances(model, `SELECT ${modelColumns(model).sql} FROM ${fromTable(model)} WHERE ${alias}.${pkColumn} IN (${list});`);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}
