/* probe's parsing: url = https://..., --proxy / HTTPS_PROXY / NO_PROXY. */
#include "unit.h"
#include "tlsprobe.h"

#include <stdlib.h>
#include <string.h>

static void test_url(void)
{
    psc_url u;
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_url_parse("https://tenant.example.com/http/replicate?x=1#frag", &u, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(u.host, "tenant.example.com");
    CU_ASSERT_STRING_EQUAL(u.port, "443");
    CU_ASSERT_STRING_EQUAL(u.path, "/http/replicate?x=1");
    CU_ASSERT_EQUAL(psc_url_parse("HTTPS://[::1]:8443", &u, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(u.host, "::1");
    CU_ASSERT_STRING_EQUAL(u.port, "8443");
    CU_ASSERT_STRING_EQUAL(u.path, "/");
    CU_ASSERT_EQUAL(psc_url_parse("https://h:1?q", &u, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(u.path, "/?q");
    static const char *const bad[] = {"http://h/", "https://", "https:///p", "https://u:pw@h/",
                                      "https://h:0/", "https://h:99999/", "https://h/a b",
                                      "h:443", NULL};
    for (int i = 0; bad[i]; i++) {
        psc_err be = {0};
        CU_ASSERT_EQUAL(psc_url_parse(bad[i], &u, &be), PSC_EUSAGE);
        CU_ASSERT_PTR_NULL(strstr(be.msg, "pw@"));
    }
}

static void test_proxy(void)
{
    psc_proxy p;
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_proxy_parse("http://proxy.corp:3128/", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "proxy.corp");
    CU_ASSERT_STRING_EQUAL(p.port, "3128");
    CU_ASSERT_EQUAL(psc_proxy_parse("[fd00::1]:8080", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "fd00::1");
    static const char *const bad[] = {"https://p:1", "socks5://p:1", "http://p", "http://p:",
                                      "http://u:secret@p:1", "http://p:1/path", NULL};
    for (int i = 0; bad[i]; i++) {
        psc_err be = {0};
        CU_ASSERT_EQUAL(psc_proxy_parse(bad[i], &p, &be), PSC_EUSAGE);
        CU_ASSERT_PTR_NULL(strstr(be.msg, "secret"));
    }

    unsetenv("https_proxy");
    unsetenv("no_proxy");
    setenv("HTTPS_PROXY", "http://envproxy:8080", 1);
    setenv("NO_PROXY", "localhost, .corp.example,internal", 1);
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "tenant.hana.ondemand.com", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "envproxy");
    CU_ASSERT_STRING_EQUAL(p.port, "8080");
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "erp.corp.example", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, ""); /* subdomain of a NO_PROXY entry */
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "corp.example", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "");
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "notcorp.example", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "envproxy"); /* a suffix, not a subdomain */
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "internal", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "");
    CU_ASSERT_EQUAL(psc_proxy_choose("", "tenant.hana.ondemand.com", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, ""); /* --proxy '' wins over the environment */
    CU_ASSERT_EQUAL(psc_proxy_choose("http://given:1", "internal", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "given"); /* --proxy is not subject to NO_PROXY */
    setenv("NO_PROXY", "*", 1);
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "anything", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "");
    unsetenv("NO_PROXY");
    setenv("HTTPS_PROXY", "https://bad:1", 1);
    psc_err ee = {0};
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "h", &p, &ee), PSC_EUSAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(ee.msg, "HTTPS_PROXY: "));
    unsetenv("HTTPS_PROXY");
    CU_ASSERT_EQUAL(psc_proxy_choose(NULL, "h", &p, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(p.host, "");
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {{"url = https://...", test_url},
                                        {"proxy, HTTPS_PROXY, NO_PROXY", test_proxy},
                                        CU_TEST_INFO_NULL};
    unit_suite("probe", tests);
}
