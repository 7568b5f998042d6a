//! The HTTP client oauth2 uses for Xero's token endpoint: reqwest's, with the answer read up to
//! [`BodyCap::TOKEN`] instead of whole (oauth2's own reqwest client reads every byte first).

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpClientError, HttpRequest, HttpResponse};

use super::body_cap::{BodyCap, ReadError, read_capped};

pub struct CappedTokenClient<'a>(pub &'a reqwest::Client);

impl<'c> AsyncHttpClient<'c> for CappedTokenClient<'_> {
    type Error = HttpClientError<reqwest::Error>;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(Box::new)?;
            let response = self.0.execute(request).await.map_err(Box::new)?;
            let mut builder = http::Response::builder().status(response.status()).version(response.version());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = match read_capped(response, BodyCap::TOKEN).await {
                Ok(body) => body,
                // The sentence itself: `token_error` shows an `Other` as it is.
                Err(ReadError::TooLarge { cap, .. }) => return Err(HttpClientError::Other(cap.too_large())),
                Err(ReadError::Transport { error, .. }) => return Err(HttpClientError::Reqwest(Box::new(error))),
            };
            builder.body(body).map_err(HttpClientError::Http)
        })
    }
}
