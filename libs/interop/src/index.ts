export * from './interop-source.js';
export * from './openlineage/openlineage.mapper.js';
export * from './fhir/fhir.mapper.js';
export * from './bids-prov/bids-prov.mapper.js';
export * from './render-interop.js';
export * from './interop-records.collector.js';
export * from './adapters/openlineage-http.adapter.js';
