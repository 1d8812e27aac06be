//! What a request says about its client's address and the host it was sent to. A reverse
//! proxy reports both in headers (`Forwarded`, `X-Forwarded-For`, `X-Forwarded-Host`), but any
//! client can write those headers too: they are believed only when the server is told that it
//! runs behind a proxy (`sdreview serve --behind-proxy`, or `SDREVIEW_BEHIND_PROXY=true`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::HttpRequest;
use actix_web::http::header;

/// The address attempts are counted against: the socket's peer, or what the proxy says.
pub fn client_address(req: &HttpRequest, behind_proxy: bool) -> IpAddr {
    let forwarded = if behind_proxy {
        req.connection_info()
            .realip_remote_addr()
            .and_then(parse_address)
    } else {
        None
    };
    forwarded
        .or_else(|| req.peer_addr().map(|peer| peer.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The host (and port) the client addressed: the `Host` header, or the proxy's word for it.
pub fn request_host(req: &HttpRequest, behind_proxy: bool) -> Option<String> {
    if behind_proxy {
        return Some(req.connection_info().host().to_owned());
    }
    req.headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
}

/// The address the client reached this server at (`http://sdreview.lan:8080`), for links
/// made to be opened on another device of the same network: the scheme and host a proxy
/// reports behind one, else `http` (the server speaks plain HTTP) and the `Host` header.
pub fn base_url(req: &HttpRequest, behind_proxy: bool) -> String {
    let scheme = if behind_proxy {
        req.connection_info().scheme().to_owned()
    } else {
        "http".to_owned()
    };
    let host = request_host(req, behind_proxy).unwrap_or_else(|| "localhost".to_owned());
    format!("{scheme}://{host}")
}

/// `192.0.2.1`, `192.0.2.1:5000`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:5000`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_headers_count_only_behind_a_proxy() {
        let req = TestRequest::default()
            .insert_header((header::HOST, "sdreview.lan:8080"))
            .insert_header(("X-Forwarded-Host", "example.invalid"))
            .insert_header(("X-Forwarded-For", "192.0.2.7"))
            .peer_addr("10.0.0.2:40000".parse().unwrap())
            .to_http_request();
        assert_eq!(request_host(&req, false).unwrap(), "sdreview.lan:8080");
        assert_eq!(request_host(&req, true).unwrap(), "example.invalid");
        assert_eq!(base_url(&req, false), "http://sdreview.lan:8080");
        assert_eq!(client_address(&req, false), IpAddr::from([10, 0, 0, 2]));
        assert_eq!(client_address(&req, true), IpAddr::from([192, 0, 2, 7]));
    }

    #[test]
    fn addresses_are_read_with_or_without_a_port() {
        for (text, ip) in [
            ("192.0.2.1", "192.0.2.1"),
            ("192.0.2.1:5000", "192.0.2.1"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:5000", "2001:db8::1"),
        ] {
            assert_eq!(parse_address(text), ip.parse().ok(), "{text}");
        }
        assert_eq!(parse_address("unknown"), None);
    }
}
