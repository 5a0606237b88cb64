export { KomojuApi } from './credentials/KomojuApi.credentials';
export { Komoju } from './nodes/Komoju/Komoju.node';
