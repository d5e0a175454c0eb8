import org.identityconnectors.framework.common.objects.ConnectorObjectBuilder

objectClass("User") {
    search {
        attributeResolver {
            attribute "organizations"
            resolutionType PER_OBJECT
            implementation {
                var orgs = objectClass("Organization").search()
                for (var org : orgs) {
                    value.addAttribute("organizations", org)
                }
            }
        }
        endpoint("/users") {
            responseFormat JSON_ARRAY
        }
    }
}
