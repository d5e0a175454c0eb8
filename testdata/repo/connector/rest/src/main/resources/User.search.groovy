objectClass("User") {
    search {
        endpoint("users") {
            responseFormat JSON_ARRAY
        }
        endpoint("users/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }
    }
}
