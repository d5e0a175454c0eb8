objectClass("User") {
    attribute("id") {
        jsonType "string"
        description "Identifier of the account"
    }
    attribute("login") {
        jsonType "string"
        description "Login name"
        required true
    }
    attribute("email") {
        jsonType "string"
        openApiFormat "email"
    }
}
