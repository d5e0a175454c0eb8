objectClass("Employee") {
    update {
        // PATCH /scim/v2/Users/{id}, as declared in Employee.op.groovy:8
        endpoint(PATCH, "/scim/v2/Users/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "givenName", "familyName", "workEmail", "active"
        }

        // POST /scim/v2/Users/{id}/deactivate, as declared in Employee.op.groovy:14
        endpoint(POST, "/scim/v2/Users/{id}/deactivate") {
            request {
                body EMPTY
            }
            supportedAttribute("active") {
                value false
                transition true, false
            }
        }
    }
}
