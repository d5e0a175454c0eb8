objectClass("Widget") {
    attribute("id") {
        jsonType "string"
    }
    attribute("label") {
        jsonType "string"
        required true
    }
    attribute("color") {
        jsonType "string"
    }
}
