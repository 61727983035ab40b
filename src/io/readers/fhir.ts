/**
 * FHIR R4 Observations: a Bulk Data export (NDJSON — one file, or a folder of `Observation*.ndjson`) or a Bundle. A
 * line that is not JSON is rejected with its file and line (or, under `strict`, stops the read); the resources are
 * turned into measurements by the caller (`fromFhirObservation`).
 */
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { reject } from '../../ingest/measurements.js';
import type { FhirReader, ReadContext, Resources } from './reader.js';
import { extensionOf } from './reader.js';

/** Batches of at most `size` resources from a stream of them. */
async function* batched(items: AsyncIterable<{ resource: unknown; source: string }>, size: number): AsyncGenerator<Resources> {
  let batch: Resources = { resources: [], sources: [] };
  for await (const { resource, source } of items) {
    batch.resources.push(resource);
    batch.sources.push(source);
    if (batch.resources.length >= size) {
      yield batch;
      batch = { resources: [], sources: [] };
    }
  }
  if (batch.resources.length > 0) yield batch;
}

async function* ndjsonResources(path: string, { report, strict }: ReadContext): AsyncGenerator<{ resource: unknown; source: string }> {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /^Observation.*\.ndjson$/i.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new Error(`read: the folder "${path}" has no Observation*.ndjson file (a FHIR Bulk Data export)`);
  for (const file of files) {
    const name = basename(file);
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let resource: unknown;
      try {
        resource = JSON.parse(text);
      } catch (e) {
        report.read++;
        reject(report, `${name} line ${line}`, `not JSON: ${(e as Error).message}`);
        if (strict) throw new Error(`read: ${name} line ${line} is not JSON (${(e as Error).message})`);
        continue;
      }
      yield { resource, source: `${name} line ${line}` };
    }
  }
}

/** The entries of a Bundle: one JSON document, read whole. */
async function* bundleResources(path: string): AsyncGenerator<{ resource: unknown; source: string }> {
  const name = basename(path);
  let bundle: { resourceType?: string; entry?: { resource?: unknown }[] };
  try {
    bundle = JSON.parse(readFileSync(path, 'utf8')) as typeof bundle;
  } catch (e) {
    throw new Error(`read: "${path}" is not JSON${statSync(path).size === 0 ? ' (it is empty, 0 bytes)' : ''}: ${(e as Error).message}`);
  }
  if (bundle.resourceType !== 'Bundle') throw new Error(`read: "${path}" is not a FHIR Bundle (resourceType ${JSON.stringify(bundle.resourceType)})`);
  for (const [i, e] of (bundle.entry ?? []).entries()) yield { resource: e.resource, source: `${name} entry ${i}` };
}

const NDJSON = ['.ndjson', '.jsonl'];

/** FHIR Bulk Data: an NDJSON file, or a folder of `Observation*.ndjson`. */
export const fhirNdjsonReader: FhirReader = {
  format: 'fhir-ndjson',
  holds: 'fhir',
  accepts: `${NDJSON.join(', ')} or a folder of Observation*.ndjson`,
  takes: (path, isDirectory) => isDirectory || NDJSON.includes(extensionOf(path)),
  read: (path, context) => batched(ndjsonResources(path, context), context.size),
};

/** A FHIR Bundle (`.json`). */
export const fhirBundleReader: FhirReader = {
  format: 'fhir-bundle',
  holds: 'fhir',
  accepts: '.json (a Bundle)',
  takes: (path, isDirectory) => !isDirectory && extensionOf(path) === '.json',
  read: (path, context) => batched(bundleResources(path), context.size),
};
