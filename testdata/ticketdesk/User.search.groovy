objectClass("User") {
    search {
        endpoint("/users") {
            objectExtractor {
                return response.body().get("items")
            }
            pagingSupport {
                request.queryParameter("limit", paging.pageSize)
                       .queryParameter("offset", paging.pageOffset)
            }
            emptyFilterSupported true
            supportedFilter(attribute("login").eq().anySingleValue()) {
                request.queryParameter("login", value)
            }
            supportedFilter(attribute("email").contains().anySingleValue()) {
                request.queryParameter("q", value)
            }
        }

        endpoint("/users/{id}") {
            singleResult()
            supportedFilter(attribute("id").eq().anySingleValue()) {
                request.pathParameter("id", value)
            }
        }

        normalize {
            toSingleValue "phones"
        }
    }
}
