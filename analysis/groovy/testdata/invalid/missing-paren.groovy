objectClass("User") {
    attribute("id" {
        jsonType "string"
    }
}
