objectClass("Customer") {
    update {
        endpoint(PATCH, "/customers/{customerId}") {
            request { contentType APPLICATION_JSON }
            supportedAttributes "customerId", "email", "balance"
        }
    }
}
