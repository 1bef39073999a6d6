pub mod address; pub mod cjk; pub mod company; pub mod email; pub mod fingerprint; pub mod ids; pub mod keys; pub mod name; pub mod phone; pub mod regions; pub mod text;
