import { DataTypes, Op, type Model, type ModelStatic } from 'sequelize';
import { afterEach, describe, expect, it } from 'vitest';
import { fromTable, modelColumns, selectInstances, selectsPlainly } from '../../src/model/plain-select.js';
import { createUser, useTimelineFixture } from '../support/timeline-fixture.js';

const fixture = useTimelineFixture();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** What an instance carries that findAll decides: its values, what it was built with, its state. */
function shape(instance: Model) {
  const internals = instance as unknown as { _options: { attributes?: string[]; raw?: boolean }; _previousDataValues: object };
  return {
    values: instance.get({ plain: true }),
    previous: internals._previousDataValues,
    attributes: internals._options.attributes,
    isNewRecord: instance.isNewRecord,
    changed: instance.changed(),
  };
}

describe('selectInstances', () => {
  it('builds the instances findAll builds from the same rows', async () => {
    const { User, Post } = fixture.models;
    const ann = await createUser(fixture.models, 'ann');
    const posts = await Promise.all(['One', 'Two'].map((title) => Post.create({ title, authorId: ann.id })));
    const keys = posts.map((post) => String(post.id));
    const sql = `SELECT ${modelColumns(Post).sql} FROM ${fromTable(Post)} WHERE "Post"."id" IN (${keys.join(', ')}) ORDER BY "Post"."id";`;
    const selected = await selectInstances(Post, sql);
    const found = await Post.findAll({ where: { id: { [Op.in]: keys } }, order: [['id', 'ASC']] });
    expect(selected.map(shape)).toEqual(found.map(shape));
    expect(selected.map(String)).toEqual(['One', 'Two']);
    const [user] = await selectInstances(User, `SELECT ${modelColumns(User).sql} FROM ${fromTable(User)};`);
    expect(user && shape(user)).toEqual(shape((await User.findOne()) as Model));
  });

  it('selects stored attributes under their names, leaving virtual ones out', () => {
    const Card = fixture.db.sequelize.define(
      'Card',
      { ownerName: DataTypes.STRING, label: { type: DataTypes.VIRTUAL, get: () => 'card' } },
      { tableName: 'cards', underscored: true, timestamps: false },
    );
    cleanups.push(() => fixture.db.sequelize.modelManager.removeModel(Card));
    expect(modelColumns(Card).sql).toBe('"id", "owner_name" AS "ownerName"');
    expect(modelColumns(Card).names).toEqual(['id', 'ownerName', 'label']);
    expect(fromTable(Card)).toBe('"cards" AS "Card"');
  });
});

describe('selectsPlainly', () => {
  const define = (name: string, options: object = {}): ModelStatic<Model> => {
    const model = fixture.db.sequelize.define(name, { title: DataTypes.STRING }, { tableName: name.toLowerCase(), ...options });
    cleanups.push(() => fixture.db.sequelize.modelManager.removeModel(model));
    return model;
  };

  it("is true for models whose findAll only selects: the specs' own", () => {
    for (const model of Object.values(fixture.models)) expect(selectsPlainly(model as ModelStatic<Model>)).toBe(true);
    expect(selectsPlainly(fixture.TimelineLog)).toBe(true);
  });

  it('is false for a default scope, paranoid rows, rejectOnEmpty, or a find hook on the model or the connection', () => {
    expect(selectsPlainly(define('Scoped', { defaultScope: { where: { title: 'x' } } }))).toBe(false);
    expect(selectsPlainly(define('Soft', { paranoid: true }))).toBe(false);
    expect(selectsPlainly(define('Strict', { rejectOnEmpty: true }))).toBe(false);
    const hooked = define('Hooked');
    hooked.addHook('beforeFind', () => undefined);
    expect(selectsPlainly(hooked)).toBe(false);
    const { Post } = fixture.models;
    fixture.db.sequelize.addHook('afterFind', 'spec', () => undefined);
    cleanups.push(() => fixture.db.sequelize.removeHook('afterFind', 'spec'));
    expect(selectsPlainly(Post)).toBe(false);
  });
});
