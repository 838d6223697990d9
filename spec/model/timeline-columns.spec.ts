import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { TIMELINE_COLUMNS, timelineColumn } from '../../src/model/timeline-columns.js';
import { useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly maxLength: number | null;
}

describe('the timeline table definition', () => {
  it('is the table the migration made: every column, its limit and its nullability', async () => {
    const columns = await fixture.db.sequelize.query<ColumnInfo>(
      `SELECT column_name AS name, data_type AS type, is_nullable = 'YES' AS nullable, character_maximum_length AS "maxLength"
         FROM information_schema.columns WHERE table_name = 'timeline_logs' ORDER BY ordinal_position`,
      { type: QueryTypes.SELECT },
    );
    expect(columns.map((column) => column.name).sort()).toEqual(TIMELINE_COLUMNS.map((column) => column.field).sort());
    for (const definition of TIMELINE_COLUMNS) {
      const column = columns.find((candidate) => candidate.name === definition.field) as ColumnInfo;
      expect({ field: definition.field, maxLength: column.maxLength, nullable: column.nullable }).toEqual({
        field: definition.field,
        maxLength: definition.maxLength ?? null,
        nullable: !definition.required,
      });
    }
  });

  it('is the model the setup made: one attribute per column, mapped to its field', () => {
    const attributes = fixture.TimelineLog.getAttributes();
    expect(Object.keys(attributes)).toEqual(TIMELINE_COLUMNS.map((column) => column.attribute));
    for (const column of TIMELINE_COLUMNS) expect(attributes[column.attribute as keyof typeof attributes]?.field).toBe(column.field);
  });

  it('names a column by its attribute, and refuses other names', () => {
    expect(timelineColumn('userId')).toMatchObject({ field: 'user_id', exportName: 'user', kind: 'userKey' });
    expect(() => timelineColumn('nope')).toThrow(/nope is not a column/);
  });
});
