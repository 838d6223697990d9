/** Its own file: TimelineLog is set up once per process, and here it never is. */
import { DataTypes, Model, Sequelize } from 'sequelize';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, withTimeline } from '../../src/index.js';

const sequelize = new Sequelize('postgres://nobody@localhost/never-connected', { logging: false });
afterAll(() => sequelize.close());

describe('withTimeline before setupTimeline', () => {
  it('says to call setupTimeline first', () => {
    class Note extends Model {}
    Note.init({ text: DataTypes.TEXT }, { sequelize, tableName: 'notes' });
    expect(() => withTimeline(Note)).toThrow(ConfigurationError);
    expect(() => withTimeline(Note)).toThrow(/call setupTimeline\(sequelize, options\) once at start-up/);
  });
});
