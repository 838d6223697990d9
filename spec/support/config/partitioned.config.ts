/**
 * A `--config` file for `timeline-logger partition`: the test models on DATABASE_URL, with
 * `partitioning: { interval: 'month', premake: 1 }`.
 */
import { createSequelize } from '../../../src/db/connection.js';
import type { TimelineCliConfig } from '../../../src/cli/timeline-session.js';
import { defineTestModels } from '../test-models.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('partitioned.config.ts needs DATABASE_URL');

const sequelize = createSequelize(url);
const { User } = defineTestModels(sequelize);

const config: TimelineCliConfig = { sequelize, options: { userModel: User, partitioning: { interval: 'month', premake: 1 } } };
export default config;
