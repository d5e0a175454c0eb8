package example.scim;

public class ScimConfiguration extends BaseGroovyConnectorConfiguration implements ScimClientConfiguration.BearerTokenAuthorization {

    @Override
    public String getScimBaseUrl() {
        return "https://scim.example.com/scim/v2";
    }
}
