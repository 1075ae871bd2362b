#ifndef SENSOR_H_
#define SENSOR_H_
int sensor_read(int round);
#endif
