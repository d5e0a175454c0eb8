objectClass("User") {
    update {
        endpoint(PATCH, "/users/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "email", "firstName", "lastName", "language", "admin", "password", "phones"
        }

        endpoint(POST, "/users/{id}/lock") {
            request {
                body EMPTY
            }
            supportedAttribute("status") {
                value "locked"
            }
        }

        endpoint(DELETE, "/users/{id}/lock") {
            request {
                body EMPTY
            }
            supportedAttribute("status") {
                value "active"
            }
        }
    }
}
