// Validate X API v2 answers against the official OpenAPI document (../shared/x-api/subset-openapi.json).
// Test helper: ajv with OpenAPI 3.0 extras (discriminator, nullable, example) ignored.
import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface OpenApiValidator {
  /** Errors of a response body for an operation ("GET /2/users/{id}/mentions") and status; [] when valid. */
  check(operation: string, status: number, body: unknown, contentType?: string): string[];
}

export function loadOpenApi(file: string): OpenApiValidator {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    components: unknown;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'x-openapi', components: doc.components });
  const cache = new Map<string, ValidateFunction>();
  return {
    check(operation, status, body, contentType = 'application/json') {
      const [method, p] = operation.split(' ') as [string, string];
      const op = doc.paths[p]?.[method.toLowerCase()];
      if (!op) return [`no operation ${operation} in the document`];
      const resp = op.responses[String(status)] ?? op.responses.default;
      if (!resp) return [`no response ${status} for ${operation}`];
      const media = contentType.includes('problem+json') ? 'application/problem+json' : 'application/json';
      const schema = resp.content?.[media]?.schema as { $ref?: string } | undefined;
      if (!schema) return [`no ${media} schema for ${operation} ${status}`];
      const key = `${operation} ${status} ${media}`;
      let v = cache.get(key);
      if (!v) {
        const s = schema.$ref ? { $ref: `x-openapi${schema.$ref}` } : schema;
        v = ajv.compile(s as object);
        cache.set(key, v);
      }
      return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    },
  };
}
