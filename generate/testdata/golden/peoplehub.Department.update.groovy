objectClass("Department") {
    update {
        // PUT /departments/{id}, as declared in Department.op.yaml:9
        endpoint(PUT, "/departments/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "title", "costCenter", "parentCode"
        }
    }
}
