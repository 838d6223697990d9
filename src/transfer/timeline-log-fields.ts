import { TIMELINE_COLUMNS, type TimelineColumn } from '../model/timeline-columns.js';
import type { ResourceField } from './resource.js';
import { jsonWidget, keyWidget, textWidget, timestampWidget, type Widget } from './widgets.js';

/**
 * The fields of {@link TimelineLogResource}: one per timeline column, named by its `exportName`,
 * with the widget of its kind and its limits from the table definition (`template` at most 200
 * characters and required, `event` 64, `content_type` 255, `timestamp` required, `correlation_id`
 * 1-64 characters of `A-Za-z0-9._:-`).
 *
 * @example
 * ```ts
 * timelineLogFields().map((field) => field.column); // ['id', 'content_type', ...]
 * ```
 */
export function timelineLogFields(): ResourceField[] {
  return TIMELINE_COLUMNS.map((column) => ({ column: column.exportName, widget: widgetOf(column) }));
}

function widgetOf(column: TimelineColumn): Widget<unknown> {
  switch (column.kind) {
    case 'id':
      return keyWidget({ integer: true });
    case 'text':
      return textWidget({
        ...(column.maxLength === undefined ? {} : { maxLength: column.maxLength }),
        ...(column.pattern === undefined ? {} : { pattern: column.pattern }),
        required: column.required,
      });
    case 'timestamp':
      return timestampWidget({ required: column.required });
    case 'userKey':
      return keyWidget();
    case 'json':
      return jsonWidget();
  }
}
