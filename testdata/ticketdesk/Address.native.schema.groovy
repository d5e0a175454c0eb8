// Postal addresses are embedded in users; they have no identity.
objectClass("Address") {
    embedded true
    attribute("street") { jsonType "string" }
    attribute("city") { jsonType "string" }
    attribute("zip") {
        jsonType "string"
        json { name "postal_code" }
    }
}
