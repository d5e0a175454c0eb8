objectClass("Employee") {
    create {
        scim {
            enabled true
        }
    }
    update {
        endpoint(PATCH, "/scim/v2/Users/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "givenName", "familyName", "workEmail", "active"
        }
        endpoint(POST, "/scim/v2/Users/{id}/deactivate") {
            request { body EMPTY }
            supportedAttribute("active") {
                value false
                transition true, false
            }
        }
    }
    delete {
        endpoint("/scim/v2/Users/{id}")
    }
}
