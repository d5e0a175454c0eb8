import org.slf4j.LoggerFactory

var LOG = LoggerFactory.getLogger("connector")
var limit = 50

objectClass("Project") {
    var local = "x"
    search {
        endpoint("/projects") {
            pagingSupport {
                var size = paging.pageSize
                LOG.info("page {}", size)
                request.queryParameter("pageSize", size)
            }
        }
    }
}
