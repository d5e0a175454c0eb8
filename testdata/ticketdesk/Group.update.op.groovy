objectClass("Group") {
    update {
        endpoint(PUT, "/groups/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "name", "description"
        }
    }
}
