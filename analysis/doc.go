// Package analysis turns a workspace snapshot into the connector model:
// object classes with their attributes, ConnId mappings and endpoints,
// merged from the DSL scripts and the API documentation, each fact with
// its source. Rules over the model produce diagnostics.
package analysis
