import { describe, expect, it } from 'vitest';
import { DataTypes, Model, Sequelize } from 'sequelize';
import { ConfigurationError, setupTimeline, TimelineLog } from '../src/index.js';
import { defaultObjectLabel, defaultUserLabel, resolveOptions } from '../src/options.js';

describe('before setupTimeline', () => {
  it('says how to set the library up', async () => {
    await expect(TimelineLog.log(null)).rejects.toThrow(ConfigurationError);
    await expect(TimelineLog.log(null)).rejects.toThrow(/call setupTimeline\(sequelize, options\)/);
  });
});

describe('setupTimeline', () => {
  const sequelize = new Sequelize('postgres://localhost/unused', { logging: false });

  it('returns the TimelineLog model bound to the connection', () => {
    expect(setupTimeline(sequelize)).toBe(TimelineLog);
    expect(sequelize.models.TimelineLog).toBe(TimelineLog);
    expect(TimelineLog.getTableName()).toBe('timeline_logs');
  });

  it('refuses databases other than PostgreSQL', () => {
    const sqlite = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false, dialectModule: {} });
    expect(() => setupTimeline(sqlite)).toThrow(/PostgreSQL/);
  });

  it.each([
    [{ paginateBy: 0 }, /option paginateBy must be a positive integer \(got 0\)/],
    [{ locale: 'fr' }, /option locale must be one of "en", "nl" \(got "fr"\)/],
    [{ timeZone: 'Mars/Olympus' }, /timeZone/],
    [{ templateDirs: 'views' }, /option templateDirs must be an array/],
    [{ userLabel: 'name' }, /option userLabel must be a function/],
    [{ tableName: ' ' }, /option tableName must be a non-empty string/],
  ])('rejects %j with a ConfigurationError', (options, message) => {
    expect(() => setupTimeline(sequelize, options as never)).toThrow(ConfigurationError);
    expect(() => setupTimeline(sequelize, options as never)).toThrow(message);
  });

  it('documents its defaults', () => {
    const resolved = resolveOptions();
    expect(resolved).toMatchObject({
      userModel: null,
      templateDirs: [],
      defaultTemplate: 'timeline_logger/default.ejs',
      locale: 'en',
      timeZone: 'UTC',
      paginateBy: 25,
      tableName: 'timeline_logs',
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });
});

describe('default labels', () => {
  const sequelize = new Sequelize('postgres://localhost/unused', { logging: false });
  class Named extends Model {}
  Named.init({ name: DataTypes.STRING }, { sequelize });
  class Bare extends Model {}
  Bare.init({ code: DataTypes.STRING }, { sequelize });
  class Titled extends Model {
    override toString(): string {
      return `Titled: ${String(this.get('code'))}`;
    }
  }
  Titled.init({ code: DataTypes.STRING, name: DataTypes.STRING }, { sequelize });

  it('prefers a toString() the class defines, then username, name, email', () => {
    expect(defaultObjectLabel(Titled.build({ id: 1, code: 'x', name: 'ignored' }))).toBe('Titled: x');
    expect(defaultObjectLabel(Named.build({ id: 2, name: 'Widget' }))).toBe('Widget');
    expect(defaultUserLabel({ id: 3, username: 'ann', name: 'Ann', email: 'a@x' })).toBe('ann');
    expect(defaultUserLabel({ id: 3, email: 'a@x' })).toBe('a@x');
  });

  it('falls back to <Model> #<pk> and User #<id>', () => {
    expect(defaultObjectLabel(Bare.build({ id: 7, code: 'c' }))).toBe('Bare #7');
    expect(defaultUserLabel({ id: 9 })).toBe('User #9');
  });
});
