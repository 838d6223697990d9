import { isJsonObject, type JsonObject, type JsonValue } from '../../src/index.js';

/** A log's `extraData` as the object the test expects it to be (fails the test otherwise). */
export function extraObject(log: { readonly extraData: JsonValue | null } | null | undefined): JsonObject {
  const extraData = log?.extraData ?? null;
  if (!isJsonObject(extraData)) throw new Error(`expected extraData to be a JSON object, got ${JSON.stringify(extraData)}`);
  return extraData;
}
