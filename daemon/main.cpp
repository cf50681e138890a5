// The newsmon executable: everything lives in newsmon_core; this only sets up libcurl.
#include "cli/cli.hpp"
#include "fetch/curl_handles.hpp"

int main(int argc, char** argv) {
    newsmon::fetch::CurlGlobal curl;
    return newsmon::cli::run(argc, argv);
}
