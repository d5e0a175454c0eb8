objectClass("User") {
    create {
        endpoint("/users") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "login", "email", "firstName", "lastName",
                    "password", "language", "admin", "phones"
        }
    }
}
