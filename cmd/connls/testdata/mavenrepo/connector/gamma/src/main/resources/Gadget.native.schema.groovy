objectClass("Gadget") {
    attribute("id") {
        jsonType "string"
    }
    attribute("serial") {
        jsonType "string"
        required true
    }
}
