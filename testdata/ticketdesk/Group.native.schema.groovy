objectClass("Group") {
    description "A team of agents"
    attribute("id") {
        jsonType "integer"
        creatable false
        updateable false
    }
    attribute("name") {
        jsonType "string"
        required true
    }
    attribute("description") {
        jsonType "string"
    }
    attribute("memberCount") {
        jsonType "integer"
        openApiFormat "int32"
        creatable false
        updateable false
    }
}
