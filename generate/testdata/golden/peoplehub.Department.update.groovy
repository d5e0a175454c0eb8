objectClass("Department") {
    update {
        // PUT /departments/{id}, as documented in docs/departments.html
        endpoint(PUT, "/departments/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "title", "costCenter", "parentCode", "head"
        }
    }
}
