// Prepared statements cached per database connection (electron/core/db/stmt.ts): linking runs the
// same few queries for every customer and post. qp returns the first column only.
export { prep as q, prepPluck as qp } from '../db/stmt';
