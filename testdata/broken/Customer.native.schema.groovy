objectClass("Customer") {
    attribute("customerId") {
        jsonType "string"
        openApiFormat "uuid"
        updateabel false
    }
    attribute("email") {
        jsonType "string"
        required "yes"
    }
    attribute("tags") {
        jsonType "string"
        multiValued true
    }
    attribute("balance") {
        jsonType "decimal"
        creatable false
        updateable false
    }
}
