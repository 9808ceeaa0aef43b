package validation

import (
	"fmt"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// libCompiledSchemas hands the shared path the schema libopenapi-validator
// judges a response body with, compiled in the faster of the two forms the
// library compiles a schema in.
//
// For a response body, libopenapi-validator 0.16 compiles the whole document
// as a graph of JSON Schema resources in which every $ref stays a $ref, so
// that a failure can be traced to its place in the document. Its jsonschema
// walk allocates a sub-validator, a scope and an unevaluated-property record
// for each $ref it follows: on the ACS config echo (four $refs) the walk took
// 6.6 µs that way and 4.8 µs without them. The library also renders each
// schema with every $ref replaced by its target (the cache entry's
// RenderedJSON; a $ref with keywords beside it becomes an allOf of both, so
// none is lost), and a schema it checks other than as a body (a
// parameter's, or one handed to its schema validator:
// SchemaValidationPurposeGeneric) it compiles from that rendering as one
// schema, with helpers.NewCompiledSchemaWithVersion, whenever no $ref is
// left in it. That is the form used here, compiled once per schema.
//
// A rendering that does not compile on its own (a circular schema keeps a
// $ref into the document) is left to the cached graph. The shared path only
// ever accepts: a body refused here is judged again by the library's full
// path, which words the failure; TestTheSharedBodyPathGivesEachLibrarysOwnVerdict
// holds the two forms to the same verdicts.
type libCompiledSchemas struct {
	cache   cache.SchemaCache
	options *config.ValidationOptions
	version float32
}

// newLibCompiledSchemas reads the schemas libopenapi-validator, built with
// options, compiled into libCache for a document of the given OpenAPI
// version.
func newLibCompiledSchemas(libCache cache.SchemaCache, options *config.ValidationOptions, version string) libCompiledSchemas {
	return libCompiledSchemas{cache: libCache, options: options, version: helpers.VersionToFloat(version)}
}

// forResponseBody is the compiled schema a response body is judged against,
// nil when the validator compiled none for it.
func (c libCompiledSchemas) forResponseBody(schema *base.Schema) *jsonschema.Schema {
	key := schema_validation.SchemaCacheKey(schema.GoLow().Hash(), c.version, schema_validation.SchemaValidationPurposeResponseBody)
	cached, ok := c.cache.Load(key)
	if !ok || cached == nil {
		return nil
	}
	if len(cached.RenderedJSON) == 0 {
		return cached.CompiledSchema
	}
	// The name the library gives a schema it compiles this way.
	name := fmt.Sprintf("%x", schema.GoLow().Hash())
	inline, err := helpers.NewCompiledSchemaWithVersion(name, cached.RenderedJSON, c.options, c.version)
	if err != nil {
		return cached.CompiledSchema
	}
	return inline
}
