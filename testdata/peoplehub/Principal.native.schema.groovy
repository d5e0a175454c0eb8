objectClass("Principal") {
    embedded(true)
    attribute("kind") {
        jsonType "string"
    }
    attribute("href") {
        json {
            type "string"
            openApiFormat "uri-reference"
        }
    }
}
