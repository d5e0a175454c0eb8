package example.scim;

// Loads its scripts by name, as OpenProject's and ScimDev's connectors do;
// the configuration points it at a SCIM server.
@ConnectorClass(displayNameKey = "scim.display", configurationClass = ScimConfiguration.class)
public class ScimConnector extends AbstractGroovyRestConnector<ScimConfiguration> {

    @Override
    protected void initializeSchema(GroovySchemaLoader loader) {
        loader.loadFromResource("/Scim.schema.groovy");
    }

    @Override
    protected void initializeObjectClassHandler(GroovyRestHandlerBuilder builder) {
        builder.loadFromResource("/Scim.op.groovy");
    }
}
