objectClass("Widget") {
    search {
        endpoint("widgets") {
            responseFormat JSON_ARRAY
        }
    }
}
