objectClass("Account") {
    attribute("id") { jsonType "string"; creatable false; updateable false }
    attribute("name") { jsonType "string" }
}
