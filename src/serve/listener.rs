//! Accepting connections and stopping: HTTP/1.1 with a bound on the time
//! to send request headers (slow clients), SIGHUP to reload the rules, and
//! SIGTERM/SIGINT to stop accepting, finish every request in flight, and
//! return.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

use super::{AppState, routes};

/// Why the service did not start (the CLI words it).
#[derive(Debug)]
pub enum StartError {
    /// The address could not be bound.
    Listen {
        address: SocketAddr,
        error: std::io::Error,
    },
    /// A signal handler could not be installed.
    Signals(std::io::Error),
}

/// Serves until SIGTERM or SIGINT, then drains.
pub async fn serve(address: SocketAddr, state: Arc<AppState>) -> Result<(), StartError> {
    let listen = |error| StartError::Listen { address, error };
    let listener = TcpListener::bind(address).await.map_err(listen)?;
    let bound = listener.local_addr().map_err(listen)?;
    let signals = |kind: SignalKind| signal(kind).map_err(StartError::Signals);
    let mut hangup = signals(SignalKind::hangup())?;
    let mut terminate = signals(SignalKind::terminate())?;
    let mut interrupt = signals(SignalKind::interrupt())?;
    {
        let loaded = state.rules.current();
        tracing::info!(
            address = %bound,
            rules = %loaded.rules.origin,
            content_hash = %loaded.content_hash,
            max_in_flight = state.limits.max_in_flight,
            max_body = state.limits.max_body,
            "listening"
        );
    }
    let app = routes::router(state.clone());
    let mut connection = http1::Builder::new();
    connection
        .timer(TokioTimer::new())
        .header_read_timeout(state.limits.header_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let service = TowerToHyperService::new(app.clone());
                    let served = graceful.watch(connection.serve_connection(TokioIo::new(stream), service));
                    tokio::spawn(async move {
                        // A client that goes away mid-request ends its
                        // connection; nothing to report beyond the access log.
                        let _ = served.await;
                    });
                }
                Err(error) => {
                    // Out of file descriptors and the like: pause, don't spin.
                    tracing::error!(error = %error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = hangup.recv() => {
                tokio::spawn(reload(state.clone()));
            }
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        }
    }
    drop(listener);
    tracing::info!("stopping: no new connections; finishing requests in flight");
    match tokio::time::timeout(state.limits.shutdown_grace, graceful.shutdown()).await {
        Ok(()) => tracing::info!("stopped"),
        Err(_) => tracing::warn!(
            grace_seconds = state.limits.shutdown_grace.as_secs(),
            "stopped with requests still running after the grace period"
        ),
    }
    Ok(())
}

/// Loads the rule set again off the async workers; a set that does not
/// load leaves the old one serving.
async fn reload(state: Arc<AppState>) {
    let slot = state.clone();
    let outcome = tokio::task::spawn_blocking(move || slot.rules.reload()).await;
    match outcome {
        Ok(Ok(loaded)) => {
            state.metrics.record_reload(true);
            tracing::info!(
                rules = %loaded.rules.origin,
                content_hash = %loaded.content_hash,
                "rule set reloaded"
            );
        }
        Ok(Err(errors)) => {
            state.metrics.record_reload(false);
            tracing::error!(
                errors = %errors,
                content_hash = %state.rules.current().content_hash,
                "rule set not reloaded; the previous one keeps serving"
            );
        }
        Err(_) => {
            state.metrics.record_reload(false);
            tracing::error!("rule set not reloaded: loading failed unexpectedly");
        }
    }
}
