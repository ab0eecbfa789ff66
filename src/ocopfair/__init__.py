"""ocopfair: trade fairs of OCOP products, connecting supply and demand."""
