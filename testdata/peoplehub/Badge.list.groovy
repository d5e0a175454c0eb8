objectClass("Badge") {
    search {
        endpoint("/badges") {
            maxPageSize 50
            pagingParameter "pageSize", "query", "limit"
            pagingParameter "offset", "query"
            objectExtractor "items"
            httpOperation GET
            request {
                accept APPLICATION_JSON
            }
        }
    }
}
