#pragma once

namespace latchkey {
class Client;
} // namespace latchkey

namespace latchkey::cli {

/// `signin --provider ID --device`: prints the address, the user code and a QR code of the
/// address when Client::deviceCodeReady() comes (never the device code), and cancels the sign-in
/// on Ctrl+C (SIGINT) so it ends through signInFinished(Cancelled).
void showDeviceCode(Client &client);

} // namespace latchkey::cli
