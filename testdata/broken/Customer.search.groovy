objectClass("Customer") {
    search {
        endpoint("/customers") {
            responseFormat JSON_ARRAY
        }
        endpoint("/customers/search") {
            supportedFilter(attribute("mail").eq().anySingleValue()) {
                request.queryParameter("email", value)
            }
        }
    }
}
