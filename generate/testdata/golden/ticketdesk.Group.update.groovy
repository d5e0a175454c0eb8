objectClass("Group") {
    update {
        // PUT /groups/{id}, as documented in docs/openapi.yaml
        endpoint(PUT, "/groups/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "name", "description"
        }
    }
}
