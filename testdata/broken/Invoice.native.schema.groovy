objectClass("Invoice") {
    attribute("number") { jsonType "string" }
    attribute("total") { jsonType "number" }
}
