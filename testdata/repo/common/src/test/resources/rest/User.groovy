// A test workspace: the same class name as the connector's, other words.
objectClass("User") {
    attribute("id") {
        jsonType "string"
        description "The user's id"
        creatable false
        updateable false
    }
    attribute("login") {
        jsonType "string"
        description "The user's login"
    }
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "login")
}
