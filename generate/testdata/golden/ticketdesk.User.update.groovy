objectClass("User") {
    update {
        // PATCH /users/{id}, as documented in docs/openapi.yaml
        // phones is multi-valued: PATCH replaces its whole list
        endpoint(PATCH, "/users/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "email", "firstName", "lastName", "language", "admin", "password", "phones"
        }

        // POST /users/{id}/lock, as documented in docs/openapi.yaml
        endpoint(POST, "/users/{id}/lock") {
            request {
                body EMPTY
            }
            supportedAttribute("status") {
                value "locked"
                transition "active", "locked"
            }
        }

        // DELETE /users/{id}/lock, as documented in docs/openapi.yaml
        endpoint(DELETE, "/users/{id}/lock") {
            request {
                body EMPTY
            }
            supportedAttribute("status") {
                value "active"
                transition "locked", "active"
            }
        }
    }
}
