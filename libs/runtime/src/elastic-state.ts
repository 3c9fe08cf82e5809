/** Stack mode: the process's one Elasticsearch client. */
export const ELASTIC_CLIENT = Symbol('ELASTIC_CLIENT');
/** Stack mode: the alerts state's indices (`<ELASTICSEARCH_INDEX>-state-<kind>`), created at start. */
export const STATE_INDICES = Symbol('STATE_INDICES');
